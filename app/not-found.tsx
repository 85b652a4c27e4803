import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto mt-16 max-w-md space-y-3 text-center">
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">This page does not exist, or you cannot see it.</p>
      <Link href="/" className="text-sm underline">
        Back to the runs
      </Link>
    </div>
  );
}
