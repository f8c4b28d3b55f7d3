export { createPosterClient, supplyBody, type PosterClient, type PosterClientOptions, type PosterRetryOptions, type CreateSupplyInput, type LeftoversQuery, type SuppliesQuery, type SupplyLineType, type CallOptions } from "./client";
export * from "./errors";
export { createPosterLimiter, DEFAULT_MIN_INTERVAL_MS, getDefaultPosterLimiter, MemoryPosterLimiter, minIntervalForRate, RedisPosterLimiter, type PosterLimiter, type PosterLimiterOptions } from "./limiter";
export { posterMoney, majorToMinor, minorToMajor, formatPosterDateTime, formatPosterYmd } from "./money";
export { buildAuthorizeUrl, exchangeOAuthCode, type PosterOAuthResult } from "./oauth";
export { accountBaseUrl, genericBaseUrl } from "./hosts";
export { posterTarget, type PosterTarget } from "./transport";
export { posterVerify, isValidPosterSignature, type PosterWebhookSignedFields } from "./webhook-signature";
export type { PosterSkippedRow, PosterSettings, PosterSpot, PosterStorage, PosterSupplier, PosterIngredientCategory, PosterIngredient, PosterLeftover, PosterSupplySummary, PosterSupply, PosterUnit } from "./schemas";
