// Named moments of the start-up path (performance.mark 'hearth:…'), for traces and the bench
// (bench/browser keeps every 'hearth:' mark of each open). A no-op where there is no
// performance timeline.
interface Timeline {
  mark(name: string): unknown;
}

const timeline = (globalThis as { performance?: Partial<Timeline> }).performance;

export function mark(name: string): void {
  timeline?.mark?.(`hearth:${name}`);
}
