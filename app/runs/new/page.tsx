import type { Metadata } from "next";
import { NewRunForm, type RepositoryOption } from "@/components/forms/new-run-form";
import { hasRole } from "@/lib/auth/roles";
import { listRepositories } from "@/lib/repositories/list-repositories";
import { defaultRunSettings } from "@/lib/runs/settings";
import { getDb } from "@/lib/server/context";
import { requirePageMember } from "@/lib/server/page-access";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "New run" };

export default async function NewRunPage() {
  const member = await requirePageMember("operator", "/runs/new");
  if (!member) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Starting a run needs the operator role.</p>;
  const repositories: RepositoryOption[] = (await listRepositories(getDb())).map((repository) => ({
    id: repository.id,
    name: repository.name,
    baseBranch: repository.baseBranch,
    location: repository.path ?? repository.url ?? "",
  }));
  const defaults = defaultRunSettings();
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div className="space-y-1">
        <h1 className="text-xl font-semibold tracking-tight">New run</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Paste a scope; the manager reviews it, may ask questions, then proposes a plan of worker tasks for you to approve.
        </p>
      </div>
      <NewRunForm
        repositories={repositories}
        canAddRepository={hasRole(member.role, "owner")}
        defaults={{
          concurrency: defaults.concurrency,
          heartbeatIntervalMinutes: defaults.heartbeatIntervalMinutes,
          stallTimeoutMinutes: defaults.stallTimeoutMinutes,
          autoApprovePlan: defaults.autoApprovePlan,
          requireHumanAccept: defaults.requireHumanAccept,
          draftPullRequests: defaults.draftPullRequests,
          mergeWithoutApproval: defaults.mergeWithoutApproval,
        }}
      />
    </div>
  );
}
