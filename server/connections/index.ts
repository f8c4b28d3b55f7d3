export {
  encryptedPosterTokenStore, getConnectionStatus, posterTokenStore,
  type PosterConnectionStatus, type PosterTokenInput, type PosterTokenStore, type StoredPosterToken,
} from "./token-store";
export { getPosterClientForRestaurant, isUsableConnection, markNeedsReconnect, PosterNotConnectedError, settleConnectionMarks } from "./client";
export {
  accountLoginSchema, completePosterConnect, connectAccount, posterCallbackUrl, PosterConnectError, type ConnectAccountInput, type ConnectAccountResult,
} from "./connect";
export { disconnectPoster, posterOverview } from "./manage";
export { checkOAuthCallback, OAUTH_STATE_COOKIE, OAUTH_STATE_MAX_AGE_S, startOAuthFlow, type OAuthCallbackCheck } from "./oauth-flow";
