import type { CountryLookup } from '../geo/country.js';
import { formatClfTime } from '../forensics/log-time.js';
import { AddressPool } from './access-log-ips.js';
import { seededRng } from './random.js';

export interface AccessLogAttack {
  /** Seconds after the log start. */
  offsetSeconds: number;
  durationSeconds: number;
  /** Flood requests per second at full strength. */
  rps: number;
  bots: number;
}

export interface AccessLogOptions {
  seed: number;
  /** Unix seconds of the first line. */
  start: number;
  durationSeconds: number;
  /** Mean requests per second of ordinary visitors over a day (the daily cycle swings ±60%). */
  normalRps: number;
  crawlers: number;
  attack: AccessLogAttack | null;
  format: 'combined' | 'common' | 'json';
  /** Country lookup used to spread bots over many countries (null: no spread). */
  countries: CountryLookup | null;
}

export interface AccessLogTruth {
  format: string;
  lines: number;
  start: number;
  end: number;
  attack: { start: number; end: number; rps: number; bots: number } | null;
  bots: string[];
  crawlers: string[];
}

const PAGES = ['/', '/', '/', '/news', '/about', '/login', '/search?q=weather', '/products', '/products/42', '/cart', '/static/app.js', '/static/app.css', '/img/logo.png', '/api/v1/items?page=2', '/favicon.ico', '/blog/2026/outage-report'];
const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
];
const CRAWLER_AGENTS = ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'];
const BOT_AGENTS = ['', '', 'Hello, World', 'Mozilla/5.0', BROWSERS[0], BROWSERS[3], 'python-requests/2.31.0'];

interface Session {
  ip: string;
  ua: string;
  left: number;
  next: number;
}

/**
 * Writes a realistic access log through `write` (chunks of lines, in time order) and
 * returns the ground truth: ordinary visitors in sessions (60% returning) following a daily
 * cycle, steady crawlers, and optionally an HTTP flood from `bots` fresh addresses spread
 * over many countries, with cache-busting query strings and no or tool user agents.
 */
export function generateAccessLog(options: AccessLogOptions, write: (chunk: string) => void): AccessLogTruth {
  const rand = seededRng(options.seed);
  const pool = new AddressPool(rand, options.countries);
  const regulars = Array.from({ length: Math.max(50, Math.round(options.normalRps * 400)) }, () => ({ ip: pool.plainAddress(), ua: BROWSERS[Math.floor(rand() * BROWSERS.length)] }));
  const crawlers = Array.from({ length: options.crawlers }, (_, i) => ({ ip: pool.plainAddress(), ua: CRAWLER_AGENTS[i % CRAWLER_AGENTS.length] }));
  const a = options.attack;
  const bots = a ? Array.from({ length: a.bots }, () => ({ ip: pool.spreadAddress(), ua: BOT_AGENTS[Math.floor(rand() * BOT_AGENTS.length)] })) : [];
  const attackStart = a ? options.start + a.offsetSeconds : 0;
  const attackEnd = a ? attackStart + a.durationSeconds : 0;
  const meanSession = 6;
  let sessions: Session[] = [];
  let lines = 0;
  let out: string[] = [];
  const poisson = (mean: number): number => {
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rand)));
    let k = 0;
    let p = Math.exp(-mean);
    let s = p;
    const u = rand();
    while (u > s && k < 1000) {
      k++;
      p *= mean / k;
      s += p;
    }
    return k;
  };
  const emit = (t: number, ip: string, ua: string, path: string, status: number): void => {
    out.push(formatLine(options.format, t, ip, ua, path, status, status === 200 ? 500 + Math.floor(rand() * 40000) : 0));
    lines++;
    if (out.length >= 5000) {
      write(out.join(''));
      out = [];
    }
  };

  for (let t = options.start; t < options.start + options.durationSeconds; t++) {
    const hour = ((t % 86400) / 3600 + 24) % 24;
    const rate = options.normalRps * (1 + 0.6 * Math.sin((2 * Math.PI * (hour - 9)) / 24));
    const underAttack = a !== null && t >= attackStart && t < attackEnd;
    for (let n = poisson(rate / meanSession); n > 0; n--) {
      const returning = rand() < 0.6;
      const who = returning ? regulars[Math.floor(rand() * regulars.length)] : { ip: pool.plainAddress(), ua: BROWSERS[Math.floor(rand() * BROWSERS.length)] };
      sessions.push({ ...who, left: 1 + Math.min(60, Math.floor(-Math.log(1 - rand()) * (meanSession - 1))), next: t });
    }
    for (const s of sessions) {
      if (s.next !== t) continue;
      const status = underAttack && rand() < 0.05 ? 503 : rand() < 0.03 ? 404 : rand() < 0.1 ? 304 : 200;
      emit(t, s.ip, s.ua, PAGES[Math.floor(rand() * PAGES.length)], status);
      s.left--;
      s.next = t + 1 + Math.floor(-Math.log(1 - rand()) * 12);
    }
    sessions = sessions.filter((s) => s.left > 0);
    for (const c of crawlers) if (rand() < 0.3) emit(t, c.ip, c.ua, PAGES[Math.floor(rand() * PAGES.length)], 200);
    if (underAttack && a) {
      const ramp = Math.min(1, (t - attackStart + 1) / 10, (attackEnd - t) / 10);
      for (let n = poisson(a.rps * ramp); n > 0; n--) {
        const bot = bots[Math.floor(rand() * bots.length)];
        const path = rand() < 0.7 ? `/?${Math.floor(rand() * 1e9).toString(36)}=${Math.floor(rand() * 1e9).toString(36)}` : '/search?q=' + Math.floor(rand() * 1e12).toString(36);
        emit(t, bot.ip, bot.ua, path, rand() < 0.3 ? 503 : 200);
      }
    }
  }
  if (out.length) write(out.join(''));
  return {
    format: options.format,
    lines,
    start: options.start,
    end: options.start + options.durationSeconds,
    attack: a ? { start: attackStart, end: attackEnd, rps: a.rps, bots: a.bots } : null,
    bots: bots.map((b) => b.ip).sort(),
    crawlers: crawlers.map((c) => c.ip),
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

let clfCache = { t: Number.NaN, text: '' };

function clfTime(t: number): string {
  if (clfCache.t !== t) clfCache = { t, text: formatClfTime(t) };
  return clfCache.text;
}

function formatLine(format: AccessLogOptions['format'], t: number, ip: string, ua: string, path: string, status: number, bytes: number): string {
  const method = path.startsWith('/api/') && status === 200 && bytes % 7 === 0 ? 'POST' : 'GET';
  if (format === 'json') {
    return `${JSON.stringify({ time: new Date(t * 1000).toISOString(), remote_addr: ip, method, path, status, bytes, user_agent: ua, referer: '' })}\n`;
  }
  const head = `${ip} - - [${clfTime(t)}] "${method} ${path} HTTP/1.1" ${status} ${bytes === 0 ? '-' : bytes}`;
  return format === 'common' ? `${head}\n` : `${head} "-" "${ua === '' ? '-' : ua}"\n`;
}
