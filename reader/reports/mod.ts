// The reports: every report the reading process answers, one file each (report.ts says what a report is). The routes
// (GET /v1/reports/<name>), their part of the OpenAPI document, `npm run report` and the console's reports page are
// derived from this list, in its order. A new report is a file here and a line below.
import { activity } from './activity.ts';
import { audience } from './audience.ts';
import { daily } from './daily.ts';
import { lag } from './lag.ts';
import type { Report } from './report.ts';
import { sessions } from './sessions.ts';
import { solveRatio } from './solve-ratio.ts';
import { taskFunnel } from './task-funnel.ts';

export const reports: readonly Report[] = [activity, solveRatio, daily, audience, sessions, lag, taskFunnel];

export { parametersOf, reportPath, type Report } from './report.ts';
