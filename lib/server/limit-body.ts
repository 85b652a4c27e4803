import { IncomingMessage, type ServerResponse } from "node:http";
import { bodyLimitFor, tooLargeMessage } from "../http/body-limit";

/**
 * Reads a request's body before Next does, counting bytes as they arrive and
 * answering 413 the moment the cap is passed, chunked or not: nothing larger
 * than the cap is ever held. A body within the cap is handed on as a fresh
 * IncomingMessage on the same socket, so Next reads it as it would the original.
 * Returns null when it answered the request itself.
 */
export async function limitBody(req: IncomingMessage, res: ServerResponse): Promise<IncomingMessage | null> {
  const declared = req.headers["content-length"];
  if (declared === undefined && req.headers["transfer-encoding"] === undefined) return req;
  const cap = bodyLimitFor(new URL(req.url ?? "/", "http://local").pathname);
  if (declared !== undefined && Number(declared) > cap) return refuse(req, res, cap);
  const chunks: Buffer[] = [];
  let received = 0;
  const complete = await new Promise<boolean>((resolve) => {
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > cap) {
        cleanup();
        resolve(false);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(true);
    };
    const onGone = () => {
      cleanup();
      resolve(false);
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onGone);
      req.off("aborted", onGone);
    };
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onGone);
    req.once("aborted", onGone);
  });
  if (!complete) {
    chunks.length = 0;
    req.pause();
    if (req.destroyed || res.destroyed) return null;
    return refuse(req, res, cap);
  }
  return replay(req, Buffer.concat(chunks, received));
}

/** How long a refused client gets to read its 413 before the connection is cut. */
const GRACE_MS = 5000;

function refuse(req: IncomingMessage, res: ServerResponse, cap: number): null {
  // Read no further: the client's writes stall on a full TCP window instead of filling memory.
  req.pause();
  const body = JSON.stringify({ error: { code: "payload_too_large", message: tooLargeMessage(cap) } });
  // Node would destroy the socket right after an answer to an unfinished request, and
  // destroying a socket with unread input resets it: the client could lose the 413.
  // So Node is told to keep it, and only our side is closed once the answer is out;
  // the client reads the answer and stops, and a client that does not is cut after a grace.
  res.shouldKeepAlive = true;
  res.writeHead(413, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(body);
  res.once("finish", () => {
    req.socket.end();
    setTimeout(() => req.socket.destroy(), GRACE_MS).unref();
  });
  return null;
}

function replay(original: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(original.socket);
  copy.method = original.method;
  copy.url = original.url;
  copy.httpVersion = original.httpVersion;
  copy.httpVersionMajor = original.httpVersionMajor;
  copy.httpVersionMinor = original.httpVersionMinor;
  copy.headers = original.headers;
  copy.rawHeaders = original.rawHeaders;
  copy.trailers = original.trailers;
  copy.rawTrailers = original.rawTrailers;
  copy.complete = true;
  if (body.length > 0) copy.push(body);
  copy.push(null);
  return copy;
}
