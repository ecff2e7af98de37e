import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { compile } from 'sass';
import { fromRoot } from '@ps/kernel';
import { Public } from '../auth/access.decorator';

let compiled: string | undefined;

const APPLICATION_FORM_SCRIPT = readFileSync(fromRoot('apps', 'platform', 'scripts', 'application-form.js'), 'utf8');

/** GOV.UK Frontend compiled with the platform's Flemish theme, once per process. */
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
