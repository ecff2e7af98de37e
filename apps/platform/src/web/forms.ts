import { HttpException } from '@nestjs/common';
import { Request, Response } from 'express';
import { FieldErrors } from '@ps/kernel';
import { redirectWithNotice } from './notice';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { validationErrors } from '../configure-app';

export interface FieldError {
  field: string;
  message: string;
}

/** Validates a submitted form with the same DTO the API uses; returns the value or the errors per field. */
export function validateForm<T extends object>(dto: ClassConstructor<T>, body: unknown): { value: T; errors: FieldError[] } {
  const { _csrf, ...fields } = (body ?? {}) as Record<string, unknown>;
  void _csrf;
  const value = plainToInstance(dto, fields);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  return { value, errors: toFieldErrors(validationErrors(errors)) };
}

/** A service's refusal with per-field messages (422, 409 with errors) as form errors; anything else is rethrown. */
export function refusalAsFieldErrors(error: unknown, fallbackField: string): FieldError[] {
  if (!(error instanceof HttpException) || error.getStatus() >= 500 || error.getStatus() === 403 || error.getStatus() === 404) throw error;
  const body = error.getResponse() as { errors?: Record<string, string[]>; message?: string };
  return body.errors ? toFieldErrors(body.errors) : [{ field: fallbackField, message: String(body.message) }];
}

function toFieldErrors(fields: Record<string, string[]>): FieldError[] {
  return Object.entries(fields).map(([field, messages]) => ({ field, message: messages[0] }));
}

/** { field: message } for the views, next to each field. */
export function byField(errors: FieldError[]): Record<string, string> {
  return Object.fromEntries(errors.map((error) => [error.field, error.message]));
}

export interface Refusal {
  errors: FieldError[];
  status: number;
}

/**
 * Runs the change a form asked for: on success redirects with the notice and returns null; on a
 * refusal (4xx) returns the errors per field and the status to show the form again with.
 */
export async function runFormChange(req: Request, res: Response, change: () => Promise<unknown>, done: { url: string; notice: string }, fallbackField = ''): Promise<Refusal | null> {
  try {
    await change();
    await redirectWithNotice(req, res, done.url, done.notice);
    return null;
  } catch (error) {
    return { errors: refusalAsFieldErrors(error, fallbackField), status: (error as HttpException).getStatus() };
  }
}

/** Forms that change a versioned record carry the version they showed. */
export function requireVersion(body: Record<string, unknown> | undefined): void {
  if (!/^\d{1,9}$/.test(String(body?.version ?? ''))) throw new FieldErrors({ '': ['Het formulier is onvolledig; laad de pagina opnieuw.'] });
}
