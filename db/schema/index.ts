export * from "./_tenant";
export * from "./tenancy";
export * from "./catalog";
export * from "./ordering";
export * from "./operations";
