// Landing checks against the embedded engine (chdb, in-process), as `npm start` uses it.
import { landingSuite } from './landing.ts';

landingSuite('embedded').run();
