import { describe, expect, it } from "vitest";
import { accountBaseUrl, genericBaseUrl } from "@/server/poster/hosts";
import { buildAuthorizeUrl, exchangeOAuthCode } from "@/server/poster/oauth";
import { PosterOAuthError } from "@/server/poster/errors";
import { startPosterSimulatorServer } from "@/simulator";
import { BAR, BASE, CAFE, clientFor, newSim } from "./support";

type Body = { response?: unknown; error?: { code: number; message: string } };
const redirectUri = "http://localhost:3000/api/poster/callback";

describe("Poster hosts: the client calls the account's own host", () => {
  it("derives the account's host from POSTER_API_URL, and the generic host without it", () => {
    expect(accountBaseUrl("https://joinposter.com", "mykava6")).toBe("https://mykava6.joinposter.com");
    expect(accountBaseUrl("https://joinposter.com/", "mykava6")).toBe("https://mykava6.joinposter.com");
    expect(accountBaseUrl("https://{account}.joinposter.com", "adia")).toBe("https://adia.joinposter.com");
    expect(accountBaseUrl("http://{account}.localhost:4010", "demo-bar")).toBe("http://demo-bar.localhost:4010");
    expect(accountBaseUrl("http://127.0.0.1:4010/{account}", "demo-bar")).toBe("http://127.0.0.1:4010/demo-bar");
    // Any other URL is a simulator: the account is the first path segment.
    expect(accountBaseUrl("http://127.0.0.1:4010", "demo-bar")).toBe("http://127.0.0.1:4010/demo-bar");
    expect(accountBaseUrl("http://localhost:3000/api/poster-sim/", "demo-cafe")).toBe("http://localhost:3000/api/poster-sim/demo-cafe");

    expect(genericBaseUrl("https://joinposter.com")).toBe("https://joinposter.com");
    expect(genericBaseUrl("https://{account}.joinposter.com")).toBe("https://joinposter.com");
    expect(genericBaseUrl("http://127.0.0.1:4010/{account}")).toBe("http://127.0.0.1:4010");
    expect(genericBaseUrl("http://localhost:3000/api/poster-sim/")).toBe("http://localhost:3000/api/poster-sim");
  });
});

describe("simulator: the account comes from the host, as at {account}.joinposter.com", () => {
  const get = async (sim: ReturnType<typeof newSim>, url: string) => {
    const res = await sim.fetch(url);
    return { status: res.status, body: (await res.json()) as Body };
  };

  it("serves an account on its host and refuses another account's token there with code 11", async () => {
    const sim = newSim({ basePath: "/api/poster-sim" });
    for (const host of [`https://${CAFE.login}.joinposter.com/api/poster-sim`, `http://${CAFE.login}.localhost:4010/api/poster-sim`, `${BASE}/api/poster-sim/${CAFE.login}`]) {
      const own = await get(sim, `${host}/api/storage.getStorages?token=${CAFE.token}`);
      expect(own.status).toBe(200);
      expect(own.body.response).toBeInstanceOf(Array);
      // Poster's answer to a token that is not this account's: "Bad access token", HTTP 200 like every application error.
      const foreign = await get(sim, `${host}/api/storage.getStorages?token=${BAR.token}`);
      expect(foreign).toEqual({ status: 200, body: { error: { code: 11, message: "Bad access token" } } });
    }
    // The generic host still goes by the token, and each call is logged with the host it came to.
    expect((await get(sim, `${BASE}/api/poster-sim/api/storage.getStorages?token=${BAR.token}`)).body.response).toBeInstanceOf(Array);
    expect(sim.requestLog(CAFE.login).map((e) => e.host)).toEqual([CAFE.login, CAFE.login, CAFE.login]);
    expect(sim.requestLog(BAR.login).map((e) => e.host)).toEqual([null]);
    // A host of no account, or an account number in place of the login, is not a Poster host.
    expect((await get(sim, `${BASE}/api/poster-sim/nobody-here/api/storage.getStorages?token=${CAFE.token}`)).status).toBe(404);
    expect((await get(sim, `${BASE}/api/poster-sim/${CAFE.accountNumber}/api/storage.getStorages?token=${CAFE.token}`)).status).toBe(404);
    // The control API lives on the generic host only.
    expect((await sim.fetch(`${BASE}/api/poster-sim/${CAFE.login}/sim/accounts`)).status).toBe(404);
  });

  it("the client on the account's host works for its own token and gets PosterAuthError for another's", async () => {
    const sim = newSim();
    const own = clientFor(sim, { baseUrl: `${BASE}/${BAR.login}`, accountNumber: BAR.accountNumber, token: BAR.token });
    expect((await own.getStorages()).length).toBeGreaterThan(0);
    const foreign = clientFor(sim, { baseUrl: `${BASE}/${BAR.login}` });
    await expect(foreign.getStorages()).rejects.toMatchObject({ name: "PosterAuthError" });
  });

  it("/api/auth on an account's host logs into that account; its code is exchanged only on that host", async () => {
    const sim = newSim();
    const host = `${BASE}/${BAR.login}`;
    // `?account=` (the generic host's dev shortcut) does not override the host.
    const url = buildAuthorizeUrl({ baseUrl: host, applicationId: sim.application.id, redirectUri, account: CAFE.login, state: "s" });
    const res = await sim.fetch(url, { redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.searchParams.get("account")).toBe(BAR.login);
    const code = location.searchParams.get("code")!;
    const exchange = { applicationId: sim.application.id, applicationSecret: sim.application.secret, redirectUri, code, fetch: sim.fetch };

    const elsewhere = await exchangeOAuthCode({ ...exchange, baseUrl: `${BASE}/${CAFE.login}` }).catch((e: unknown) => e);
    expect(elsewhere).toBeInstanceOf(PosterOAuthError);
    expect(elsewhere).toMatchObject({ errorType: "invalid_grant" });

    // A fresh code (the refused attempt used the first one up), exchanged where it was issued.
    const again = new URL((await sim.fetch(url, { redirect: "manual" })).headers.get("location")!).searchParams.get("code")!;
    const ok = await exchangeOAuthCode({ ...exchange, code: again, baseUrl: host });
    expect(ok).toMatchObject({ accessToken: BAR.token, accountNumber: BAR.accountNumber });
  });

  it("the standalone simulator takes the account from the path, as POSTER_API_URL=http://127.0.0.1:<port> gives it", async () => {
    const server = await startPosterSimulatorServer({ port: 0 });
    try {
      const own = await fetch(`${accountBaseUrl(server.url, CAFE.login)}/api/access.getSpots?token=${CAFE.token}`);
      expect(((await own.json()) as Body).response).toBeInstanceOf(Array);
      const foreign = await fetch(`${accountBaseUrl(server.url, CAFE.login)}/api/access.getSpots?token=${BAR.token}`);
      expect(((await foreign.json()) as Body).error?.code).toBe(11);
    } finally {
      await server.close();
    }
  });
});
