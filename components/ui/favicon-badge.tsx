"use client";

import { useEffect } from "react";

const SIZE = 64;

/** The mark (app/icon.svg) with a red count in its corner, as a PNG data URL. */
async function drawBadge(count: number): Promise<string | null> {
  const mark = new Image();
  mark.src = "/icon.svg";
  await mark.decode();
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = SIZE;
  const context = canvas.getContext("2d");
  if (!context) return null;
  context.drawImage(mark, 0, 0, SIZE, SIZE);
  const radius = SIZE * 0.3;
  const center = SIZE - radius;
  context.beginPath();
  context.arc(center, center, radius, 0, 2 * Math.PI);
  context.fillStyle = "#dc2626";
  context.fill();
  context.fillStyle = "#ffffff";
  context.font = `bold ${Math.round(radius * (count > 9 ? 1.1 : 1.4))}px system-ui, sans-serif`;
  context.textAlign = "center";
  context.textBaseline = "middle";
  context.fillText(count > 9 ? "9+" : String(count), center, center + 1);
  return canvas.toDataURL("image/png");
}

/**
 * The tab's icon carries how many things wait for a person (the title says it
 * too, see TabTitle). Next's own icon links are pointed at the drawn badge
 * while it shows, including links Next streams in later (its metadata arrives
 * after the page), and given back on leave or when the count drops to zero.
 */
export function FaviconBadge({ count }: { count: number }) {
  useEffect(() => {
    if (count <= 0) return;
    let cancelled = false;
    let observer: MutationObserver | null = null;
    const changed = new Map<HTMLLinkElement, { href: string; type: string | null }>();
    const badge = (url: string) => {
      for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"]')) {
        if (link.getAttribute("href") === url) continue;
        if (!changed.has(link)) changed.set(link, { href: link.getAttribute("href") ?? "", type: link.getAttribute("type") });
        link.href = url;
        link.type = "image/png";
        link.dataset.count = String(count);
      }
    };
    drawBadge(count)
      .then((url) => {
        if (cancelled || !url) return;
        badge(url);
        observer = new MutationObserver(() => badge(url));
        observer.observe(document.head, { childList: true, subtree: true, attributes: true, attributeFilter: ["href"] });
      })
      // A tab without its badge is no reason to disturb the page; the title still has the count.
      .catch(() => {});
    return () => {
      cancelled = true;
      observer?.disconnect();
      for (const [link, { href, type }] of changed) {
        link.setAttribute("href", href);
        if (type === null) link.removeAttribute("type");
        else link.setAttribute("type", type);
        delete link.dataset.count;
      }
    };
  }, [count]);
  return null;
}
