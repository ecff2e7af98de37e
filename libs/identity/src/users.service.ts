import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { hashPassword } from './passwords';
import { Role } from './roles';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  displayName: string;
  password: string;
  role: Role;
  localGovernmentId?: number | null;
}

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  findByEmail(email: string): Promise<User | null> {
    return this.users.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  /** Creates the user unless one with that e-mail exists; returns whether it was created. */
  async createIfMissing(manager: EntityManager, user: NewUser): Promise<boolean> {
    const exists = await manager.query(`SELECT 1 FROM app_user WHERE lower(email) = lower($1)`, [user.email]);
    if (exists.length > 0) return false;
    await manager.insert(User, {
      email: user.email,
      displayName: user.displayName,
      passwordHash: await hashPassword(user.password),
      role: user.role,
      localGovernmentId: user.localGovernmentId ?? null,
      active: true,
    });
    return true;
  }
}
