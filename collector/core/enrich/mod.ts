// The door to the enrichment building blocks, for the process side (../../geo-database.ts opens the geo database the
// core looks addresses up in). The ingest steps in the core import the files themselves.
export { geoLookupFrom, type GeoLookup } from './geo.ts';
