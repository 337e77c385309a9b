import type { XAxisProps } from 'recharts';
import { formatTimeOfDay } from '../../format';

/** The time axis every live chart shares: epoch-ms samples, labelled by time of day. */
export const TIME_AXIS_PROPS: XAxisProps = {
  dataKey: 'at',
  type: 'number',
  scale: 'time',
  domain: ['dataMin', 'dataMax'],
  tickFormatter: formatTimeOfDay,
  minTickGap: 40,
  fontSize: 11,
};

export const tooltipTime = (at: unknown): string => formatTimeOfDay(Number(at));
