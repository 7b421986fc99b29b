export { createClient } from "./client.js";
export type * from "./types.js";
