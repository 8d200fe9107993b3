class App {
  static String url = System.getenv("JDBC_URL");
}
