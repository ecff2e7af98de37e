import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiTokensService } from './api-tokens.service';
import { AuthenticationService } from './authentication.service';
import { User } from './user.entity';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  providers: [UsersService, AuthenticationService, ApiTokensService],
  exports: [UsersService, AuthenticationService, ApiTokensService],
})
export class IdentityModule {}
