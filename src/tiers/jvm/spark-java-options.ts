/**
 * What Spark 4 needs of Java 17 to run in our process: the packages it reaches into opened to it,
 * as its own launcher (spark-submit, JavaModuleOptions) passes them; without them it cannot
 * start. Every module that runs Spark (spark, iceberg) starts with them. The flags for newer Javas
 * only (--sun-misc-unsafe-memory-access) are left out.
 */
export const sparkJavaOptions: readonly string[] = [
  '-XX:+IgnoreUnrecognizedVMOptions',
  ...[
    'java.base/java.lang',
    'java.base/java.lang.invoke',
    'java.base/java.lang.reflect',
    'java.base/java.io',
    'java.base/java.net',
    'java.base/java.nio',
    'java.base/java.util',
    'java.base/java.util.concurrent',
    'java.base/java.util.concurrent.atomic',
    'java.base/jdk.internal.ref',
    'java.base/sun.nio.ch',
    'java.base/sun.nio.cs',
    'java.base/sun.security.action',
    'java.base/sun.util.calendar',
  ].map((pkg) => `--add-opens=${pkg}=ALL-UNNAMED`),
  '-Dio.netty.tryReflectionSetAccessible=true',
];
