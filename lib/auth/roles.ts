/** Roles (DESIGN.md §9), weakest first: each includes what the ones before it may do. */
export const ROLES = ["viewer", "operator", "owner"] as const;
export type Role = (typeof ROLES)[number];

export function hasRole(actual: Role, needed: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(needed);
}
