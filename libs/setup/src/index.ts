export * from './setup.service';
export * from './demo-story.service';
export * from './setup.module';
export * from './demo-data';
export * from './generator/generator.service';
export { MAX_SCALE } from './generator/plan';
