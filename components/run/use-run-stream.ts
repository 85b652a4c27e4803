"use client";

import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { type RunEvent, runEventSchema } from "@/lib/events/types";

export type StreamState = "connecting" | "live" | "reconnecting" | "refused";

const SOCKET_OPTIONS = { transports: ["websocket", "polling"], reconnectionDelayMax: 5000 };
/** An early socket no page took in this long (the run was not found, say) is closed. */
const EARLY_UNCLAIMED_MS = 15_000;

/**
 * A run page's socket, opened as this module loads: before the page hydrates,
 * so the handshake overlaps hydration instead of following it. The page's
 * stream takes it over (takeSocket); any other page never opens one.
 */
let early: Socket | null = null;
if (typeof window !== "undefined" && /^\/runs\/[0-9a-f-]{36}\/?$/i.test(window.location.pathname)) {
  const opened = io(SOCKET_OPTIONS);
  early = opened;
  setTimeout(() => {
    if (early !== opened) return;
    early = null;
    opened.disconnect();
  }, EARLY_UNCLAIMED_MS);
}

/** The early socket if it is still trying (a refused one, e.g. signed out meanwhile, gives up for good), else a new one. */
function takeSocket(): Socket {
  const taken = early;
  early = null;
  if (taken?.active) return taken;
  taken?.disconnect();
  return io(SOCKET_OPTIONS);
}

/**
 * One socket.io subscription per run page. On every (re)connect it subscribes
 * with the last seq it holds, so the server replays exactly what was missed;
 * anything at or below that seq is dropped, so nothing shows twice.
 */
export function useRunStream(runId: string, onEvent: (event: RunEvent) => void, options: { latest?: number; onReplayCut?: (after: number) => void } = {}) {
  const { latest } = options;
  const replayCut = useRef(options.onReplayCut);
  useEffect(() => {
    replayCut.current = options.onReplayCut;
  }, [options.onReplayCut]);
  const [state, setState] = useState<StreamState>("connecting");
  const [error, setError] = useState<string | null>(null);
  const lastSeq = useRef(0);
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  }, [onEvent]);

  useEffect(() => {
    const socket = takeSocket();
    const subscribe = () => {
      // The first subscription replays only the latest events; a reconnect replays everything it missed.
      const first = lastSeq.current === 0;
      socket.emit("subscribe", { runId, after: lastSeq.current, ...(latest && first ? { latest } : {}) }, (reply: { ok: boolean; error?: string; replayedAfter?: number }) => {
        if (reply?.ok) {
          if (first && typeof reply.replayedAfter === "number" && reply.replayedAfter > 0) replayCut.current?.(reply.replayedAfter);
          setState("live");
          setError(null);
        } else {
          setState("refused");
          setError(reply?.error ?? "subscription refused");
        }
      });
    };
    socket.on("connect", subscribe);
    // The early socket may have connected before the page hydrated.
    if (socket.connected) subscribe();
    // The server closes a socket whose role changed: connect again, as who we are now.
    let accessChanged = false;
    socket.on("access_changed", () => {
      accessChanged = true;
    });
    socket.on("disconnect", (reason) => {
      if (reason === "io server disconnect" && accessChanged) {
        accessChanged = false;
        setState("reconnecting");
        socket.connect();
        return;
      }
      // The server ended it on purpose (e.g. a revoked share link): do not come back.
      if (reason === "io server disconnect") setState("refused");
      else setState("reconnecting");
    });
    socket.on("connect_error", (failure) => {
      if (failure.message === "sign in first") {
        socket.disconnect();
        setState("refused");
        setError("Not signed in, or this share link no longer works. Reload to check.");
      } else {
        setState("reconnecting");
      }
    });
    socket.on("access_revoked", (message: { reason?: unknown }) => {
      setState("refused");
      setError(typeof message?.reason === "string" ? message.reason : "Access was revoked.");
    });
    socket.on("event", (raw: unknown) => {
      const parsed = runEventSchema.safeParse(raw);
      if (!parsed.success || parsed.data.runId !== runId) return;
      if (parsed.data.seq <= lastSeq.current) return;
      lastSeq.current = parsed.data.seq;
      handler.current(parsed.data);
    });
    return () => {
      socket.disconnect();
    };
  }, [runId, latest]);

  return { state, error };
}
