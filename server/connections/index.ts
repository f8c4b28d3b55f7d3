export {
  encryptedPosterTokenStore, getConnectionStatus, posterTokenStore,
  type PosterConnectionStatus, type PosterTokenInput, type PosterTokenStore, type StoredPosterToken,
} from "./token-store";
export { getPosterClientForRestaurant, isUsableConnection, markNeedsReconnect, PosterNotConnectedError, settleConnectionMarks } from "./client";
