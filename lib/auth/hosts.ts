/**
 * Host and Origin allow-lists (DESIGN.md §9). A DNS-rebinding page reaches the
 * loopback server under its own host name, and a cross-site form posts with its
 * own Origin: both are refused.
 */
export function allowedHosts(config: { publicUrl: string; host: string; port: number }): Set<string> {
  const hosts = new Set([new URL(config.publicUrl).host.toLowerCase()]);
  for (const name of ["127.0.0.1", "localhost", "[::1]"]) hosts.add(`${name}:${config.port}`);
  if (config.host !== "0.0.0.0" && config.host !== "::") hosts.add(`${config.host.toLowerCase()}:${config.port}`);
  return hosts;
}

export function allowedOrigins(config: { publicUrl: string; host: string; port: number }): Set<string> {
  const origins = new Set([new URL(config.publicUrl).origin]);
  for (const host of allowedHosts(config)) origins.add(`http://${host}`);
  return origins;
}
