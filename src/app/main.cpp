// The command's entry: main() hands argv to run_command_line (app.hpp), the top of the layers.
#include "app/app.hpp"

int main(int argc, char** argv) {
  return heatmap_merge::run_command_line(argc, argv);
}
