/**
 * The flush interval, as the Java client computes it (client/.../AdaptiveInterval.java):
 * min + 4 × EWMA(latency) + X-Client-Queue-Lag, clamped to [min, max]; up at once, down by halving.
 * Retry-After is separate: no request before notBefore.
 */
export class AdaptiveInterval {
  ewma = -1;
  current: number;
  lastLatency = 0;
  notBefore = 0;

  constructor(readonly min: number, readonly max: number) {
    this.current = min;
  }

  onAnswer(latency: number, lag: number, retryAfter: number, now: number): void {
    this.ewma = this.ewma < 0 ? latency : this.ewma + 0.3 * (latency - this.ewma);
    this.lastLatency = latency;
    const target = Math.max(this.min, Math.min(this.max, this.min + Math.round(4 * this.ewma) + lag));
    this.current = target >= this.current ? target : Math.max(target, this.current / 2);
    this.notBefore = Math.max(this.notBefore, now + retryAfter);
  }
}

/** Equal-jitter exponential backoff: attempt n waits in [d/2, d], d = min(cap, base × 2^(n-1)). */
export function backoff(attempt: number, base: number, cap: number, random = Math.random): number {
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt - 1, 30));
  return ceiling - (ceiling / 2) * random();
}
