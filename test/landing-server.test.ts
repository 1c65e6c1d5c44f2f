// Landing checks against Debian's clickhouse-server (18.16) over HTTP.
import { landingSuite } from './support/mod.ts';

landingSuite('server').run();
