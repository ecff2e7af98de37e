import { Global, Module } from '@nestjs/common';
import { Clock } from '@ps/kernel';

/** Provides the kernel's Clock everywhere; tests override it with a FixedClock. */
@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
