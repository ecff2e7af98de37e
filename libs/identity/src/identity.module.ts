import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganisationsModule } from '@ps/organisations';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokensService } from './api-tokens.service';
import { AuthenticationService } from './authentication.service';
import { SessionsRepository } from './sessions.repository';
import { SignInThrottleRepository } from './sign-in-throttle.repository';
import { SignOutEverywhere } from './sign-out-everywhere';
import { TokenCache } from './token-cache';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), OrganisationsModule],
  providers: [
    UsersRepository,
    ApiTokensRepository,
    SignInThrottleRepository,
    SessionsRepository,
    SignOutEverywhere,
    UsersService,
    AuthenticationService,
    ApiTokensService,
    TokenCache,
  ],
  exports: [UsersService, AuthenticationService, ApiTokensService, SessionsRepository],
})
export class IdentityModule {}
