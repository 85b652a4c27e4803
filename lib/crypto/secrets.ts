import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Secrets stored in the database (GitHub tokens, model keys) are sealed with
 * AES-256-GCM under a key derived from FOREMAN_SECRET. Format:
 * `v1.<iv>.<tag>.<ciphertext>` (base64url), so the key can rotate later.
 */
function key(secret: string): Buffer {
  return createHash("sha256").update(`foreman:secrets:v1:${secret}`).digest();
}

export function sealSecret(plain: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(secret), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function openSecret(sealed: string, secret: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("Unreadable stored secret (unknown format).");
  const decipher = createDecipheriv("aes-256-gcm", key(secret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("A stored secret cannot be decrypted: FOREMAN_SECRET differs from the one it was stored with.");
  }
}
