import type { CommandName } from '../../../shared/contract';
import type { CommandHandlers } from '../dispatch';

/** The handlers of some commands: each file of this folder answers one domain's commands, through one engine service. */
export type DomainHandlers<N extends CommandName> = Pick<CommandHandlers, N>;
