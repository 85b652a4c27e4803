import "server-only";
import { asc } from "drizzle-orm";
import type { Db } from "../../db/client";
import { repositories } from "../../db/schema";
import { type RepositoryView, toRepositoryView } from "./create-repository";

export async function listRepositories(db: Db): Promise<RepositoryView[]> {
  const rows = await db.select().from(repositories).orderBy(asc(repositories.name));
  return rows.map(toRepositoryView);
}
