/** A byte count as the log notes say it ("512 B", "3.4 MiB"): the one convention of shared/format. */
export { formatBytes } from '../../../shared/format';
