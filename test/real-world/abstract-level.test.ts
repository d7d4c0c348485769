// Real-world check with abstract-level from npm (fixtures/real-world/abstract-level.json): see check-library.ts.
import { checkRealWorldLibrary } from './check-library.js';

checkRealWorldLibrary('abstract-level');
