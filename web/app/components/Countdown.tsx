// A hold's countdown, driven by the server's expiry and the server's clock (clockOffsetMs).
import { useEffect, useState } from 'preact/hooks';
import { serverNow } from '../state';

export const remainingMs = (expiresAt: string) => Math.max(0, Date.parse(expiresAt) - serverNow());

export function clock(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Re-renders every second until `expiresAt`, then calls `onExpired` once. */
export function useCountdown(expiresAt: string | undefined, onExpired?: () => void): number {
  const [, tick] = useState(0);
  const left = expiresAt ? remainingMs(expiresAt) : 0;
  useEffect(() => {
    if (!expiresAt) return;
    let fired = false;
    const timer = setInterval(() => {
      tick((n) => n + 1);
      if (!fired && remainingMs(expiresAt) === 0) {
        fired = true;
        onExpired?.();
      }
    }, 250);
    return () => clearInterval(timer);
  }, [expiresAt]);
  return left;
}

export function Countdown({ expiresAt, onExpired, label = 'Your seats are held for' }: { expiresAt: string; onExpired?: () => void; label?: string }) {
  const left = useCountdown(expiresAt, onExpired);
  return (
    <span class={`countdown${left < 60_000 ? ' urgent' : ''}`}>
      {label} <strong role="timer" data-testid="countdown">{clock(left)}</strong>
    </span>
  );
}
