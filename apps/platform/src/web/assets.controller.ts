import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from 'sass';
import { fromRoot } from '@ps/kernel';
import { Public } from '../auth/access.decorator';

const APPLICATION_FORM_SCRIPT = readFileSync(fromRoot('apps', 'platform', 'scripts', 'application-form.js'), 'utf8');

const BUILT_STYLESHEET = fromRoot('dist', 'assets', 'app.css');

/** The stylesheet compiled by the build (scripts/build-styles.js), unless a style source is newer than it. */
function builtStylesheet(): string | undefined {
  if (!existsSync(BUILT_STYLESHEET)) return undefined;
  const built = statSync(BUILT_STYLESHEET).mtimeMs;
  const styles = fromRoot('apps', 'platform', 'styles');
  const inputs = [...readdirSync(styles).map((name) => join(styles, name)), fromRoot('node_modules', 'govuk-frontend', 'package.json')];
  return inputs.every((input) => !existsSync(input) || statSync(input).mtimeMs <= built) ? readFileSync(BUILT_STYLESHEET, 'utf8') : undefined;
}

let compiled: string | undefined = builtStylesheet();

/**
 * GOV.UK Frontend with the platform's Flemish theme: read from the build when it is current; compiled once per process
 * otherwise (the platform run from source, as in the tests; the same options as scripts/build-styles.js).
 */
export function stylesheet(): string {
  compiled ??= compile(fromRoot('apps', 'platform', 'styles', 'app.scss'), {
    loadPaths: [fromRoot('node_modules')],
    style: 'compressed',
    quietDeps: true,
  }).css;
  return compiled;
}

@ApiExcludeController()
@Public()
@Controller('assets')
export class AssetsController {
  @Get('app.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  css(): string {
    return stylesheet();
  }

  /** Progressive enhancement only: recalculates the contributions while typing; the form works without it. */
  @Get('application-form.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  applicationForm(): string {
    return APPLICATION_FORM_SCRIPT;
  }
}
