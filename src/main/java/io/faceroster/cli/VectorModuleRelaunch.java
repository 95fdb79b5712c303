package io.faceroster.cli;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code benchmark} command under plain {@code java -jar}: the Java Vector API (used by the support set's
 * first pass) is an incubator module that a JVM only resolves when asked ({@code --add-modules
 * jdk.incubator.vector}), and a jar manifest cannot ask. So the command runs itself again in a child JVM with the
 * module, the same JVM options and arguments, and passes its exit status on. Nothing happens when the module is
 * already there, when the process was not started from a jar, or in the child itself.
 */
final class VectorModuleRelaunch {

    private static final String MODULE = "jdk.incubator.vector";
    private static final String CHILD_MARK = "faceroster.relaunched";

    private VectorModuleRelaunch() {
    }

    /** The child's exit status, or empty when the command should simply run in this JVM. */
    static Optional<Integer> ifNeeded(String[] args) {
        if (ModuleLayer.boot().findModule(MODULE).isPresent() || Boolean.getBoolean(CHILD_MARK)) {
            return Optional.empty();
        }
        String jar = System.getProperty("java.class.path", "");
        Optional<String> launcher = ProcessHandle.current().info().command();
        if (!jar.endsWith(".jar") || jar.contains(File.pathSeparator) || launcher.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(launcher.get());
        command.add("--add-modules=" + MODULE);
        command.add("-D" + CHILD_MARK + "=true");
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-jar");
        command.add(jar);
        command.addAll(List.of(args));
        try {
            return Optional.of(new ProcessBuilder(command).inheritIO().start().waitFor());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(130);
        }
    }
}
