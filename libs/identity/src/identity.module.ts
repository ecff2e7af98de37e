import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganisationsModule } from '@ps/organisations';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokensService } from './api-tokens.service';
import { AuthenticationService } from './authentication.service';
import { OfficersReadModel } from './officers.read-model';
import { ProviderSignInService } from './provider-sign-in.service';
import { SessionsRepository } from './sessions.repository';
import { SignInThrottleRepository, SourceThrottleRepository } from './sign-in-throttle.repository';
import { SignInThrottle } from './sign-in-throttle.service';
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
    SourceThrottleRepository,
    SignInThrottle,
    SessionsRepository,
    SignOutEverywhere,
    UsersService,
    AuthenticationService,
    ApiTokensService,
    TokenCache,
    OfficersReadModel,
    ProviderSignInService,
  ],
  exports: [UsersService, AuthenticationService, ProviderSignInService, ApiTokensService, SessionsRepository, SignInThrottle, OfficersReadModel],
})
export class IdentityModule {}
