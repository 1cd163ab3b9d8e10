// Numbers, sizes, times and durations in the console's language; times in
// WIB (Asia/Jakarta), whatever the browser's time zone.

import { lang } from './i18n.js';

const locale = () => (lang() === 'en' ? 'en-US' : 'id-ID');

export function num(n, digits = 0) {
  if (n === null || n === undefined) return '—';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n);
}

// Bytes as MiB below one GiB, else GiB.
export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const mib = n / 1048576;
  if (mib < 1024) return `${num(mib, mib < 10 ? 1 : 0)} MiB`;
  return `${num(mib / 1024, 1)} GiB`;
}

// Unix seconds as a date and time in WIB.
export function dateTime(unix) {
  if (unix === null || unix === undefined) return '—';
  const s = new Intl.DateTimeFormat(locale(), {
    timeZone: 'Asia/Jakarta',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(unix * 1000));
  return `${s} WIB`;
}

// Seconds as "2 d 3 h", "4 h 5 min", "6 min 7 s" or "8 s".
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const u = lang() === 'en' ? ['d', 'h', 'min', 's'] : ['hr', 'jam', 'mnt', 'dtk'];
  let s = Math.max(0, Math.floor(seconds));
  const parts = [
    [Math.floor(s / 86400), u[0]],
    [Math.floor((s % 86400) / 3600), u[1]],
    [Math.floor((s % 3600) / 60), u[2]],
    [s % 60, u[3]],
  ];
  const first = parts.findIndex(([v]) => v > 0);
  if (first === -1) return `0 ${u[3]}`;
  return parts
    .slice(first, first + 2)
    .filter(([v]) => v > 0)
    .map(([v, unit]) => `${num(v)} ${unit}`)
    .join(' ');
}
