import { UnauthorizedException } from '@nestjs/common';

/** Not signed in: 401 on the API, a redirect to the sign-in page for a page request. */
export class SignInRequired extends UnauthorizedException {
  constructor(readonly returnTo: string) {
    super({ statusCode: 401, message: 'Meld u aan.' });
  }
}
