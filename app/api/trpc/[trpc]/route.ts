import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { isCrossSiteMutation } from "@/server/security/origin";
import { createTRPCContext } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";

const handler = (req: Request) => {
  if (isCrossSiteMutation(req)) return Response.json({ error: "Cross-site request refused." }, { status: 403 });
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => createTRPCContext({ headers: req.headers, resHeaders }),
  });
};

export { handler as GET, handler as POST };
