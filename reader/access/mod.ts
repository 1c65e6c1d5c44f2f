// reader/access: who may reach what on the reading process, and how much at once — credentials and sessions
// (access.ts), whether a request is the machine's own and the page's own (locality.ts), the guard every route sits
// behind with its one list of public routes (guard.ts), and the caps on work in flight and attempts (limits.ts).
export { ReaderAccess, SESSION_SECONDS, type Session } from './access.ts';
export { bodiesUpTo, BODY_LIMIT_BYTES, guard, PUBLIC_ROUTES, securityHeaders } from './guard.ts';
export { Gate, Throttle } from './limits.ts';
