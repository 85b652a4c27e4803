/** Small helpers the benchmarks share: they print numbers, never assert them. */
export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
export const ms = (value: number) => `${value.toFixed(2)} ms`;
export const sleep = (time: number) => new Promise((resolve) => setTimeout(resolve, time));

export type Percentiles = { p50: number; p99: number; count: number };
export const summarize = (values: number[]): Percentiles => ({ p50: percentile(values, 50), p99: percentile(values, 99), count: values.length });
