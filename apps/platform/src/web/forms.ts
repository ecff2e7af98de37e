import { HttpException, HttpStatus } from '@nestjs/common';
import { Request, Response } from 'express';
import { FieldErrors, Refusal as KernelRefusal } from '@ps/kernel';
import { statusOf } from '../refusal-status';
import { redirectWithNotice } from './notice';
import { translate } from './i18n';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { validationErrors } from '../validation-errors';

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
  return { value, errors: toFieldErrors(validationErrors(errors, value)) };
}

/** The longest text a search field takes. */
const MAX_SEARCH = 100;

/** What was typed in a search field (a query parameter): one text of at most MAX_SEARCH characters, or the refusal on that field. */
export function searchText(value: unknown, field: string): { text: string; error?: FieldError } {
  const text = typeof value === 'string' ? value : '';
  const refused = (value !== undefined && typeof value !== 'string') || text.length > MAX_SEARCH;
  return refused ? { text, error: { field, message: translate('errors.searchTooLong') } } : { text };
}

/** The DTO's value for input a page built from its form fields (one mapping function per form); invalid input is refused per field, like the API's 422. */
export function validInput<T extends object>(dto: ClassConstructor<T>, input: object): T {
  const { value, errors } = validateForm(dto, input);
  if (errors.length > 0) throw new FieldErrors(Object.fromEntries(errors.map((e) => [e.field, [e.message]])));
  return value;
}

/** Refusals a form shows next to its fields; anything else (not found, not permitted, a failure) goes to the error page. */
const SHOWN_ON_FORM = new Set(['conflict', 'stale_version', 'invalid_input', 'invalid_request', 'busy']);

/** A refusal as form errors: its per-field messages, or its message on the fallback field; anything else is rethrown. */
export function refusalAsFieldErrors(error: unknown, fallbackField: string): FieldError[] {
  if (error instanceof KernelRefusal && SHOWN_ON_FORM.has(error.code)) {
    return Object.keys(error.fields).length > 0 ? toFieldErrors(error.fields) : [{ field: fallbackField, message: error.message }];
  }
  // Nest's own refusals (the validation pipe's 422, body limits) may carry errors per field too.
  if (error instanceof HttpException && error.getStatus() < 500 && ![401, 403, 404].includes(error.getStatus())) {
    const body = error.getResponse() as { errors?: Record<string, string[]>; message?: string };
    return body.errors ? toFieldErrors(body.errors) : [{ field: fallbackField, message: String(body.message) }];
  }
  throw error;
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

/** A refused change as a form shows it: the errors per field and the status the refusal maps to (anything not shown on a form is rethrown). */
export function formRefusal(error: unknown, fallbackField = ''): Refusal {
  return { errors: refusalAsFieldErrors(error, fallbackField), status: statusOf(error) };
}

/** Input the form's DTO refused: shown per field with 422, as the API answers. */
export const invalidForm = (errors: FieldError[]): Refusal => ({ errors, status: HttpStatus.UNPROCESSABLE_ENTITY });

/**
 * Runs the change a form asked for: on success redirects with the notice and returns null; on a
 * refusal (4xx) returns the errors per field and the status to show the form again with.
 */
export async function runFormChange(
  req: Request,
  res: Response,
  change: () => Promise<unknown>,
  done: { url: string; notice: string },
  fallbackField = '',
): Promise<Refusal | null> {
  try {
    await change();
    await redirectWithNotice(req, res, done.url, done.notice);
    return null;
  } catch (error) {
    return formRefusal(error, fallbackField);
  }
}

/** Forms that change a versioned record carry the version they showed. */
export function requireVersion(body: Record<string, unknown> | undefined): void {
  if (!/^\d{1,9}$/.test(String(body?.version ?? ''))) throw new FieldErrors({ '': ['Het formulier is onvolledig; laad de pagina opnieuw.'] });
}

export type FormBody = Record<string, unknown>;

/** Ids in the names of a form's flat fields ("planned-12" → "12"). */
export const idsIn = (body: FormBody, prefix: string) =>
  Object.keys(body)
    .filter((k) => new RegExp(`^${prefix}-\\d+$`).test(k))
    .map((k) => k.slice(prefix.length + 1));

/**
 * A page form as the API's input: the DTO's shape built from the flat form fields, and where each
 * DTO field is on the page (so that a refusal points at the field the user typed in).
 */
export interface FormInput {
  input: object;
  fieldOf?: (path: string) => string | undefined;
}

/** "lines.3.plannedReach" → the page field of item 3, for a list in the DTO. */
export function indexed(path: string, name: string, field: (index: number) => string): string | undefined {
  const match = new RegExp(`^${name}\\.(\\d+)(\\.|$)`).exec(path);
  return match ? field(Number(match[1])) : undefined;
}

/** Validates the form's input with the API's DTO; a refusal names the page's fields. */
export function validFormInput<T extends object>(dto: new () => T, { input, fieldOf }: FormInput): T {
  try {
    return validInput(dto, input);
  } catch (error) {
    if (!(error instanceof FieldErrors) || !fieldOf) throw error;
    throw new FieldErrors(Object.fromEntries(Object.entries(error.fields).map(([path, messages]) => [fieldOf(path) ?? path, messages])));
  }
}
