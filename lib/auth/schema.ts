import { z } from "zod";
import { ROLES } from "./roles";

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email({ message: "must be an email address" })).pipe(z.string().max(200));
export const passwordSchema = z.string().min(10, { message: "must be at least 10 characters" }).max(200);
export const roleSchema = z.enum(ROLES);

export const newAccountInput = z
  .object({
    token: z.string().min(10).max(200),
    name: z.string().trim().min(1).max(100),
    email: emailSchema,
    password: passwordSchema,
  })
  .strict();
