// Landing checks against the embedded engine (chdb, in-process), as `npm start` uses it.
import { landingSuite } from './support/mod.ts';

landingSuite('embedded').run();
