// Landing checks against Debian's clickhouse-server (18.16) over HTTP.
import { landingSuite } from './landing.ts';

landingSuite('server').run();
