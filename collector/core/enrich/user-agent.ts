// What device an event came from, by its user agent: the browser and its major version, the operating system, and a
// kind of device. Parsed with ua-parser-js 1.x (MIT; 2.x is AGPL), cached by user agent. Runtime-neutral.
import UAParser from 'ua-parser-js';
import { isBot } from './bots.ts';

export type DeviceType =
  'desktop' | 'mobile' | 'tablet' | 'tv' | 'console' | 'wearable' | 'embedded' | 'bot' | 'unknown';

export interface Device {
  /** As ua-parser-js names it: "Chrome", "Mobile Safari", "Firefox", "Edge"; '' when unknown. */
  browser: string;
  /** The major version: "120"; '' when unknown. */
  browser_version: string;
  /** As ua-parser-js names it: "Windows", "Mac OS", "iOS", "Android", "Linux"; '' when unknown. */
  os: string;
  device_type: DeviceType;
}

/** ua-parser-js's device types, as ours. It names none for a desktop. */
const TYPES: Record<string, DeviceType> = {
  mobile: 'mobile',
  tablet: 'tablet',
  smarttv: 'tv',
  console: 'console',
  wearable: 'wearable',
  embedded: 'embedded',
};

/** Operating systems (lower case) that, with no device type, mean a desktop or a laptop. ua-parser-js takes most
 *  names from the user agent as written, so they are compared in lower case. */
const DESKTOP_OS = new Set([
  'windows',
  'mac os',
  'chromium os',
  'linux',
  'ubuntu',
  'kubuntu',
  'xubuntu',
  'lubuntu',
  'debian',
  'fedora',
  'suse',
  'opensuse',
  'gentoo',
  'arch',
  'slackware',
  'mandriva',
  'mageia',
  'centos',
  'red hat',
  'redhat',
  'mint',
  'manjaro',
  'deepin',
  'elementary os',
  'pclinuxos',
  'zenwalk',
  'linpus',
  'sabayon',
  'linspire',
  'vectorlinux',
  'raspbian',
  'freebsd',
  'openbsd',
  'netbsd',
  'pc-bsd',
  'ghostbsd',
  'dragonfly',
  'solaris',
  'opensolaris',
  'haiku',
  'unix',
  'hurd',
]);

const UNKNOWN: Readonly<Device> = Object.freeze({ browser: '', browser_version: '', os: '', device_type: 'unknown' });

/** How many user agents the cache holds before it starts again; longer ones than MAX_KEY are not kept (ua-parser-js
 *  reads the first 500 characters only, and a long key would hold memory for nothing), but the last one is
 *  remembered: the events of a batch share a user agent. */
const MAX_ENTRIES = 2_000;
const MAX_KEY = 512;
const cache = new Map<string, Readonly<Device>>();
let last = '';
let lastDevice = UNKNOWN;
const parser = new UAParser();

function parse(userAgent: string): Readonly<Device> {
  parser.setUA(userAgent);
  const browser = parser.getBrowser();
  const os = parser.getOS().name ?? '';
  const type = parser.getDevice().type;
  const device_type: DeviceType = isBot(userAgent)
    ? 'bot'
    : type
      ? (TYPES[type] ?? 'unknown')
      : DESKTOP_OS.has(os.toLowerCase())
        ? 'desktop'
        : 'unknown';
  return Object.freeze({ browser: browser.name ?? '', browser_version: browser.major ?? '', os, device_type });
}

/** The device a user agent describes. The object is shared (and frozen): copy its fields, keep no reference. A bot
 *  (./bots.ts) is device type `bot`, whatever it imitates; an absent or empty user agent is all '' and `unknown`. */
export function deviceOf(userAgent: string | undefined): Readonly<Device> {
  if (!userAgent) return UNKNOWN;
  const known = cache.get(userAgent);
  if (known) return known;
  if (userAgent === last) return lastDevice;
  const device = parse(userAgent);
  if (userAgent.length <= MAX_KEY) {
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(userAgent, device);
  } else {
    last = userAgent;
    lastDevice = device;
  }
  return device;
}
