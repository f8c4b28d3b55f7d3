export {
  encryptedPosterTokenStore, getConnectionStatus, posterTokenStore,
  type PosterConnectionStatus, type PosterTokenInput, type PosterTokenStore, type StoredPosterToken,
} from "./token-store";
export { getPosterClientForRestaurant, isUsableConnection, markNeedsReconnect, PosterNotConnectedError, settleConnectionMarks } from "./client";
export {
  accountLoginSchema, completePosterConnect, connectAccount, newOAuthState, OAUTH_STATE_COOKIE, OAUTH_STATE_MAX_AGE_S,
  posterCallbackUrl, PosterConnectError, statesMatch, type ConnectAccountInput, type ConnectAccountResult,
} from "./connect";
export { disconnectPoster, posterOverview } from "./manage";
