// Real-world check with fastq from npm (fixtures/real-world/fastq.json): see check-library.ts.
import { checkRealWorldLibrary } from './check-library.js';

checkRealWorldLibrary('fastq');
