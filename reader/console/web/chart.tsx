// A uPlot chart as a preact component: series over a shared x axis (unix seconds), redrawn when the data change,
// resized with its container. The container carries data-points (how many x values it drew), which the browser
// test reads.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

interface Series {
  label: string;
  color: string;
  values: (number | null)[];
  /** Draw bars instead of a line. */
  bars?: boolean;
}

const bars = uPlot.paths.bars!({ size: [0.6, 40] });

export function Chart(props: {
  title: string;
  x: number[];
  series: Series[];
  height?: number;
  time?: boolean;
  /** Names for the x values 0, 1, 2… (a histogram's buckets) instead of numbers. */
  labels?: string[];
  /** The x axis's span, e.g. the last five minutes, instead of the data's. */
  xRange?: [number, number];
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    const opts: uPlot.Options = {
      title: props.title,
      width: Math.max(el.clientWidth, 280),
      height: props.height ?? 220,
      scales: { x: { time: props.time ?? true, ...(props.xRange ? { range: () => props.xRange! } : {}) } },
      // A compact legend (names only): it fits a phone's width.
      legend: { live: false },
      series: [
        {},
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          fill: s.bars ? `${s.color}88` : undefined,
          width: 2,
          paths: s.bars ? bars : undefined,
          points: { show: props.x.length < 60 },
        })),
      ],
      axes: [
        props.labels
          ? { values: (_: uPlot, splits: number[]) => splits.map((i) => props.labels![i] ?? ''), space: 30 }
          : {},
        { size: 60 },
      ],
    };
    const plot = new uPlot(opts, [props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(el.clientWidth, 280), height: opts.height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.title, props.x, props.series, props.labels, props.xRange?.[0]]);
  return <div class="chart" ref={box} data-points={props.x.length} data-title={props.title} />;
}

/** Unix seconds of a UTC date (YYYY-MM-DD) or date-time. */
export const seconds = (date: string): number =>
  Date.parse(date.length === 10 ? `${date}T00:00:00Z` : `${date.replace(' ', 'T')}Z`) / 1000;
