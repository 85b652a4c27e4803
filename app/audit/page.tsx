import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import { RawDetails } from "@/components/ui/raw-details";
import { listAudit } from "@/lib/audit/list-audit";
import { getDb } from "@/lib/server/context";
import { requirePageMember } from "@/lib/server/page-access";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;

type Entry = Awaited<ReturnType<typeof listAudit>>[number];
type Props = { searchParams: Promise<{ before?: string | string[] }> };

/** `?before=` is the last id of the previous page; anything else starts at the newest. */
function parseBefore(value: string | string[] | undefined): number | undefined {
  const id = typeof value === "string" && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

const cell = "px-3 py-2 align-top";

export default async function AuditPage({ searchParams }: Props) {
  const before = parseBefore((await searchParams).before);
  const member = await requirePageMember("owner", before ? `/audit?before=${before}` : "/audit");
  if (!member) return <p className="text-sm text-zinc-600 dark:text-zinc-400">This page needs the owner role.</p>;
  const entries = await listAudit(getDb(), { before, limit: PAGE_SIZE });
  const last = entries.at(-1);
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold tracking-tight">Audit log</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Every human action in Foreman: who, what, when and from where. Newest first.</p>
      {entries.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {before ? "No older entries." : "Nothing recorded yet."}
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <table className="reflow-table w-full min-w-[56rem] text-left text-sm">
            <caption className="sr-only">Audit log entries, newest first</caption>
            <thead className="border-b border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">Time</th>
                <th scope="col" className="px-3 py-2 font-medium">Who</th>
                <th scope="col" className="px-3 py-2 font-medium">Action</th>
                <th scope="col" className="px-3 py-2 font-medium">Target</th>
                <th scope="col" className="px-3 py-2 font-medium">Run</th>
                <th scope="col" className="px-3 py-2 font-medium">IP</th>
                <th scope="col" className="px-3 py-2 font-medium">Details</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {entries.map((entry) => (
                <AuditRow key={entry.id} entry={entry} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Audit log pages" className="flex gap-4 text-sm">
        {before ? (
          <Link href="/audit" className="underline underline-offset-2 hover:text-zinc-600 dark:hover:text-zinc-300">
            Newest
          </Link>
        ) : null}
        {last && entries.length === PAGE_SIZE ? (
          <Link href={`/audit?before=${last.id}`} className="underline underline-offset-2 hover:text-zinc-600 dark:hover:text-zinc-300">
            Older
          </Link>
        ) : null}
      </nav>
    </div>
  );
}

function AuditRow({ entry }: { entry: Entry }) {
  return (
    <tr data-testid="audit-row">
      <td data-label="Time" className={`${cell} whitespace-nowrap text-xs tabular-nums`}>
        <LocalTime at={entry.createdAt.toISOString()} withDate />
      </td>
      <td data-label="Who" className={`${cell} break-all`}>
        {entry.actorEmail ?? (
          <span className="font-mono text-xs">
            {entry.actorKind}
            {entry.actorId ? ` ${entry.actorId}` : ""}
          </span>
        )}
        {entry.actorEmail && entry.actorKind !== "user" ? <span className="block text-xs text-zinc-500">via {entry.actorKind}</span> : null}
      </td>
      <td data-label="Action" className={`${cell} whitespace-nowrap font-mono text-xs`}>{entry.action}</td>
      <td data-label="Target" className={`${cell} break-all text-xs`}>
        {entry.targetType ? (
          <>
            <span>{entry.targetType.replace("_", " ")}</span> {entry.targetName ? <span>{entry.targetName}</span> : null}
          </>
        ) : (
          "—"
        )}
      </td>
      <td data-label="Run" className={`${cell} text-xs`}>
        {entry.runId ? (
          <Link href={`/runs/${entry.runId}`} className="underline underline-offset-2">
            {entry.runTitle ?? "the run"}
          </Link>
        ) : (
          "—"
        )}
      </td>
      <td data-label="IP" className={`${cell} whitespace-nowrap font-mono text-xs`}>{entry.ip ?? "—"}</td>
      <td data-label="Details" className={`${cell} max-w-xs`}>
        <RawDetails label={[entry.targetType, entry.targetId].filter(Boolean).join(" ") || entry.action} value={entry.details ?? {}} />
      </td>
    </tr>
  );
}
