import { env } from "@/server/env";

/** Which restaurant the user picked. A hint only: membership is checked on every call. */
export const ACTIVE_RESTAURANT_COOKIE = "rc_restaurant";

export function activeRestaurantCookie(restaurantId: string): string {
  const secure = env().APP_URL.startsWith("https://") ? "; Secure" : "";
  return `${ACTIVE_RESTAURANT_COOKIE}=${restaurantId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000${secure}`;
}

export function readActiveRestaurant(cookieHeader: string | null): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === ACTIVE_RESTAURANT_COOKIE) return decodeURIComponent(value.join("=")) || null;
  }
  return null;
}
